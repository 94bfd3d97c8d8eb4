/**
 * The Dropbox emulator in its own child process: hashing 1 GiB twice would otherwise compete
 * with the load generator in one event loop. Configured like `npm run emulator`
 * (DROPBOX_APP_KEY, DROPBOX_REDIRECT_URI, EMULATOR_AUTO_APPROVE, EMULATOR_PORT).
 */
import { startEmulatorFromEnv } from "../src/emulator/index.js";
import { serveParent } from "./child-ipc.js";

const emulator = await startEmulatorFromEnv();
serveParent("bench/emulator-process.ts", emulator.url, () => emulator.close());
