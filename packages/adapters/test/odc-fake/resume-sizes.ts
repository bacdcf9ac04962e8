// Row counts of the kill-and-resume migration (customers, orders, order lines), shared by parent and child.
export const RESUME_SIZES = [100, 300, 600] as const;
