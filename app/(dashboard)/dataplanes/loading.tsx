// Not in (dashboard)/ itself: a boundary above services/, events/ and config/ would stream their pages before an unknown
// name's notFound(), which then answers 200 (see services/[name]/page.tsx).
export { PageSkeleton as default } from "@/components/ui/page-skeleton";
