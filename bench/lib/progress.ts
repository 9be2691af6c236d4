// A progress bar on stderr: one line per stage, redrawn at most ten times a second.

export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {
    this.draw(true);
  }

  add(count: number): void {
    this.done += count;
    this.draw(false);
  }

  finish(): void {
    this.done = this.total;
    this.draw(true);
    process.stderr.write('\n');
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const share = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const width = 30;
    const filled = Math.round(share * width);
    const seconds = ((now - this.started) / 1000).toFixed(1);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    process.stderr.write(
      `\r${this.label.padEnd(24)} [${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${this.done}/${this.total} ${seconds}s`,
    );
  }
}
