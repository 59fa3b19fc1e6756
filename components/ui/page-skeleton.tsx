import { Suspense, type ReactNode } from "react";
import { Skeleton } from "./skeleton";

// What a page shows while its data loads: a loading.tsx, or a page's own <Suspense> below its existence check.

export function PageSkeleton() {
  return (
    <div className="space-y-4">
      <Skeleton className="h-7 w-48" />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, index) => (
          <Skeleton key={index} className="h-20" />
        ))}
      </div>
      <Skeleton className="h-64" />
    </div>
  );
}

/**
 * A page's own loading boundary, below what it must decide first. A loading.tsx would wrap every page under its segment:
 * the response would start streaming (200) before a detail page's notFound(), which could no longer answer 404.
 */
export function SkeletonBoundary({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageSkeleton />}>{children}</Suspense>;
}
