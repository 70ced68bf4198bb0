/** A moment as the interface shows it: the date and time to the minute, in the interface's language. */
export const formatTime = (lang: string, iso: string | null | undefined) =>
  iso
    ? new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso))
    : "—";
