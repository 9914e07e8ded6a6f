/**
 * `node --import <this file>`: writes the URL of every module under node_modules that the
 * process imports to the file named by WIMM_TRACE_PACKAGES, one per line, so a test can see
 * which packages a command loaded (tests/cli-start-up.test.ts). Only ES imports are seen (a
 * package's own require() calls are not), which is what the compiled CLI's chunks do.
 */
import { register } from "node:module";

register("./trace-packages-hooks.mjs", import.meta.url, { data: { file: process.env.WIMM_TRACE_PACKAGES } });
