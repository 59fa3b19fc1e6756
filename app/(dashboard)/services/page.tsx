import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/session";
import { listServices } from "@/lib/registry/service-detail";
import { ServicesClient } from "./page-client";

export const metadata: Metadata = { title: "Services" };

export default async function ServicesPage() {
  await requirePageUser(); // a page can be fetched without its layout, so it checks for itself
  return <ServicesClient initialServices={await listServices()} />;
}
