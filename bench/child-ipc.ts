/**
 * The parent side of a benchmark child process: tell bench/upload.ts our URL, stop when it says
 * "stop" or goes away without saying so, and hand it any other message.
 */
export function serveParent(script: string, url: string, close: () => Promise<void>, onMessage?: (message: unknown) => void): void {
  if (!process.send) throw new Error(`${script} must be started by bench/upload.ts (it talks over IPC)`);
  process.send({ type: "ready", url });
  const stop = () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("message", (message) => {
    if (message === "stop") stop();
    else onMessage?.(message);
  });
  process.on("disconnect", stop);
}
