import { type ReactNode, useEffect, useRef, useState } from "react";

/**
 * Renders its children once its place comes near the viewport (within a screen's height), so the
 * charts' chunk (ECharts, some 175 KB compressed) is fetched only by a reader who scrolls to them, not
 * with every ranking. Where IntersectionObserver is missing, at once.
 */
export function WhenNear({ children, className }: { children: ReactNode; className: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(() => typeof IntersectionObserver === "undefined");
  useEffect(() => {
    const el = ref.current;
    if (near || !el) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setNear(true);
      },
      { rootMargin: "100% 0px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [near]);
  return (
    <div ref={ref} className={className}>
      {near ? children : null}
    </div>
  );
}
