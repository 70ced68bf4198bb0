/** A plan's name as an exported file's name begins: the English one in English where the plan has it. */
export const planTitle = (
  plan: { name: string; nameEn?: string | undefined } | undefined | null,
  lang: string,
): string | undefined => (plan ? (lang === "en" && plan.nameEn ? plan.nameEn : plan.name) : undefined);
