/**
 * Progress on stderr for long phases: a phase is announced only once it has run for a second, and
 * then its end is reported with its duration. Quick runs print nothing.
 */
export function phaseProgress(label: string, write: (line: string) => void = (line) => process.stderr.write(line + '\n'), delayMs = 1000) {
  let current: string | null = null;
  let started = 0;
  let announced = false;
  let timer: NodeJS.Timeout | null = null;

  const end = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (current && announced) write(`${label}: ${current} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    current = null;
    announced = false;
  };

  return {
    phase(name: string): void {
      end();
      current = name;
      started = performance.now();
      timer = setTimeout(() => {
        announced = true;
        write(`${label}: ${name}…`);
      }, delayMs);
      timer.unref();
    },
    end,
  };
}
