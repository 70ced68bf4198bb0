/** A one-line progress bar on a terminal; nothing at all when the output is piped or redirected. */
export function progressBar(
  stream: NodeJS.WriteStream,
  label: string,
): { update(done: number, total: number): void; end(): void } {
  if (!stream.isTTY) return { update() {}, end() {} };
  let last = -1;
  return {
    update(done, total) {
      const percent = Math.floor((100 * done) / total);
      if (percent === last) return;
      last = percent;
      const width = 30;
      const filled = Math.round((width * done) / total);
      stream.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}% ${done}/${total}`,
      );
    },
    end() {
      stream.write("\n");
    },
  };
}
