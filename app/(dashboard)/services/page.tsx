import type { Metadata } from "next";
import { listServices } from "@/lib/registry/queries";
import { ServicesClient } from "./page-client";

export const metadata: Metadata = { title: "Services" };

export default async function ServicesPage() {
  return <ServicesClient initialServices={await listServices()} />;
}
