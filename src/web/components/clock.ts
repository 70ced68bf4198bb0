import { useSyncExternalStore } from "react";

/**
 * The page's clock to the minute, shared: one timer for every countdown on the page, running only while
 * one is shown, so a tick re-renders the countdowns and nothing else. A tab brought back to the front
 * (where the browser slowed its timers) reads the clock at once.
 */
const MINUTE = 60_000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setTimeout> | undefined;

function tick() {
  now = Date.now();
  for (const l of listeners) l();
  // On the minute's turn, so every countdown changes when the clock's minute does.
  timer = setTimeout(tick, MINUTE - (now % MINUTE));
}

function onVisible() {
  if (document.visibilityState === "visible") {
    clearTimeout(timer);
    tick();
  }
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (listeners.size === 1) {
    now = Date.now();
    timer = setTimeout(tick, MINUTE - (now % MINUTE));
    document.addEventListener("visibilitychange", onVisible);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    }
  };
}

/** The clock as last read; read again when nothing has watched it for a minute or more. */
function snapshot() {
  if (listeners.size === 0 && Date.now() - now >= MINUTE) now = Date.now();
  return now;
}

/** The time now (ms), updated once a minute while the component is shown. */
export const useMinuteClock = (): number => useSyncExternalStore(subscribe, snapshot, snapshot);
