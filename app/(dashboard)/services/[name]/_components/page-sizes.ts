// How much of a service the page shows at once: a table page of instances, and the health timelines of its first rows.
export const tablePageSize = 50;
export const timelinesShown = 20;
