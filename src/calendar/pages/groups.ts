/** Lines like "元旦: 2027-01-01, 2027-01-02" → [{ name, dates }], remembering each group's line number. */
export function parseGroups(
  text: string,
  field: string,
  errors: Record<string, string>,
): { groups: { name: string; dates: string[] }[]; lines: number[] } {
  const groups: { name: string; dates: string[] }[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(.+?)\s*[:：]\s*(.*)$/.exec(line);
    const dates = m ? m[2]!.split(/[\s,，、;；]+/).filter(Boolean) : [];
    if (!m || dates.length === 0) {
      errors[field] ??= `第 ${i + 1} 行应为“名称: 日期, 日期”，如“元旦: 2027-01-01, 2027-01-02”`;
      return;
    }
    groups.push({ name: m[1]!.trim(), dates });
    lines.push(i + 1);
  });
  return { groups, lines };
}
