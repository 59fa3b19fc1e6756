import { layoutGraph, type TLayoutInput } from "./layout-graph";

// Lays out a large graph off the main thread: dagre takes seconds at 300 services and 1000 edges.
self.onmessage = (event: MessageEvent<TLayoutInput>) => {
  self.postMessage(layoutGraph(event.data));
};
