import { apiRoute, readJson } from "@/lib/api/handler";
import { requireUser } from "@/lib/auth/session";
import { changeOwnPassword, ZChangeOwnPassword } from "@/lib/auth/users";

// PUT /api/v1/account/password - change your own password ({ currentPassword, newPassword }); your other sessions end
export const PUT = apiRoute({ permission: "account.password" }, async ({ request }) => {
  // The session this request came with is the one that goes on.
  const user = await requireUser({ permission: "account.password" });
  await changeOwnPassword({ actor: user, sessionId: user.sessionId, input: ZChangeOwnPassword.parse(await readJson(request)) });
  return new Response(null, { status: 204 });
});
