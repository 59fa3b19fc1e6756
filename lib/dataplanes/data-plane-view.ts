import "server-only";
import { getHaproxyView, type THaproxyView } from "./haproxy/backend-view";
import type { TDataPlaneView } from "./queries";

/** HAProxy's own view, read live; nginx has no runtime view to read: its state is the file rendered and its status. */
export async function getDataPlaneView(plane: TDataPlaneView): Promise<THaproxyView> {
  if (plane.kind === "nginx") return { reachable: true, backends: [], totalBackends: 0, missing: [] };
  return getHaproxyView(plane);
}
