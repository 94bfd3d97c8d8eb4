/**
 * The Dropbox emulator in its own child process: hashing 1 GiB twice would otherwise compete
 * with the load generator in one event loop. Configured like `npm run emulator`
 * (DROPBOX_APP_KEY, DROPBOX_REDIRECT_URI, EMULATOR_AUTO_APPROVE, EMULATOR_PORT).
 */
import { startEmulatorFromEnv } from "../src/emulator/index.js";

if (!process.send) throw new Error("bench/emulator-process.ts must be started by bench/upload.ts (it talks over IPC)");
const emulator = await startEmulatorFromEnv();
process.send({ type: "ready", url: emulator.url });

const stop = () => {
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("message", (message) => {
  if (message === "stop") stop();
});
process.on("disconnect", stop);
