import { NextResponse } from "next/server";
import { db } from "@/lib/db";

// GET /api/healthz - liveness for launchers and load balancers; says whether the database answers
export async function GET() {
  try {
    await db.counter.findFirst({ select: { name: true } });
    return NextResponse.json({ status: "ok" });
  } catch {
    return NextResponse.json({ status: "database unavailable" }, { status: 503 });
  }
}
