import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { hasAnyUser } from "@/lib/auth/users";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  await connection(); // it reads the database at request time, never at build time
  if (await hasAnyUser()) redirect("/login");
  return <SetupForm />;
}
