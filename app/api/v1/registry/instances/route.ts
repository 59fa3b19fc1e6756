import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/api/handler";
import { registerInstance } from "@/lib/registry/register-instance";
import { ZRegisterInstance } from "@/lib/registry/schemas";
import { getInstance } from "@/lib/registry/service-detail";

// POST /api/v1/registry/instances - register (or re-register) an instance of the built-in registry
export const POST = apiRoute({ permission: "registry.register" }, async ({ request }) => {
  const input = ZRegisterInstance.parse(await readJson(request));
  const { created } = await registerInstance({ input });
  const instance = await getInstance({ instanceId: input.id });
  return NextResponse.json({ instance }, { status: created ? 201 : 200 });
});
