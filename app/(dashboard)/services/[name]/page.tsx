import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";
import { getServiceOrThrow } from "@/lib/registry/queries";
import { ServiceClient } from "./page-client";

type TProps = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function ServicePage({ params }: TProps) {
  const name = decodeURIComponent((await params).name);
  const service = await getServiceOrThrow({ name }).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  return <ServiceClient initialService={service} />;
}
