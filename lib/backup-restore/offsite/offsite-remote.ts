/**
 * The off-site remote, `WIMM_OFFSITE_REMOTE`, as rclone reads it: a remote named in rclone's
 * config file (`nas:wimm`, the config found through RCLONE_CONFIG as rclone always finds it)
 * or one made on the fly (`:local:/mnt/nas/wimm`, `:sftp,host=…,user=…,key_file=…:backups`,
 * `:webdav,url='https://…':wimm`). The string goes to rclone exactly as given; this module
 * only checks its shape (so a typo stops the start, not the first backup at 03:00), joins file
 * names to it, and redacts it: an on-the-fly remote may carry a password or a token in its
 * parameters, and the remote is shown in the catalogue, the logs and the alerts.
 */
import { redactSecrets } from "../notify/redact-secrets.ts";

export const REDACTED = "[redacted]";

/** What the wing needs to copy off-site: the remote, and the time limit floor of one rclone run. */
export type OffsiteSettings = { remote: string; timeoutMs: number };

type Param = { key: string; value: string };
type ParsedRemote = { onTheFly: boolean; name: string; params: Param[]; path: string };

// rclone's own rule for remote names: letters, digits, _ - . + @ and space, not starting
// with - or space. A backend name (after the leading colon) is a plain word.
const REMOTE_NAME = /^[\w.+@][\w.+@ -]*$/;
const BACKEND_NAME = /^[a-z0-9]+$/;
const PARAM_KEY = /^[a-z0-9_]+$/i;

/**
 * Parameters whose values are shown as they are. Everything else (pass, key, secret_access_key,
 * token, client_secret, sas_url, …) is redacted: a list of what is safe cannot miss a secret
 * parameter a later rclone adds, a list of what is secret could.
 */
const SHOWN_PARAMS = new Set([
  "host",
  "port",
  "user",
  "url",
  "vendor",
  "provider",
  "region",
  "endpoint",
  "key_file",
  "known_hosts_file",
  "shell_type",
  "disable_hashcheck",
  "set_modtime",
  "root_folder_id",
  "drive",
  "env_auth",
  "storage_class",
]);

/** The remote's parts, or the reason it is not one rclone would read the way we mean it. */
export function parseOffsiteRemote(text: string): ParsedRemote | { problem: string } {
  if (/[\u0000-\u001f\u007f]/.test(text)) return { problem: "has a control character" };
  if (text.startsWith("-")) return { problem: "starts with '-' (rclone would read it as an option)" };
  const onTheFly = text.startsWith(":");
  let i = onTheFly ? 1 : 0;
  const nameStart = i;
  while (i < text.length && text[i] !== "," && text[i] !== ":") i++;
  const name = text.slice(nameStart, i);
  if (onTheFly ? !BACKEND_NAME.test(name) : !REMOTE_NAME.test(name))
    return {
      problem: onTheFly
        ? `"${name}" is not a backend name (e.g. :local:/mnt/nas/wimm, :sftp,host=…:path)`
        : "must be a remote, name:path (from rclone's config file) or :backend:path — a local folder is :local:/its/path",
    };
  const params: Param[] = [];
  while (text[i] === ",") {
    i++;
    const keyStart = i;
    while (i < text.length && text[i] !== "=" && text[i] !== "," && text[i] !== ":") i++;
    const key = text.slice(keyStart, i);
    if (!PARAM_KEY.test(key)) return { problem: `"${key}" is not a parameter name` };
    let value = "true"; // rclone reads a bare parameter as true
    if (text[i] === "=") {
      i++;
      const quote = text[i];
      if (quote === "'" || quote === '"') {
        // Quoted: up to the closing quote; a doubled quote stands for itself.
        value = "";
        i++;
        for (;;) {
          if (i >= text.length) return { problem: `the value of ${key} has no closing quote` };
          if (text[i] === quote) {
            if (text[i + 1] === quote) {
              value += quote;
              i += 2;
              continue;
            }
            i++;
            break;
          }
          value += text[i];
          i++;
        }
      } else {
        const valueStart = i;
        while (i < text.length && text[i] !== "," && text[i] !== ":") i++;
        value = text.slice(valueStart, i);
      }
    }
    params.push({ key, value });
  }
  if (text[i] !== ":")
    return {
      problem:
        "must be a remote, name:path (from rclone's config file) or :backend:path — a local folder is :local:/its/path",
    };
  return { onTheFly, name, params, path: text.slice(i + 1) };
}

/** Why WIMM_OFFSITE_REMOTE cannot be used, or null. */
export function offsiteRemoteProblem(text: string): string | null {
  const parsed = parseOffsiteRemote(text);
  return "problem" in parsed ? parsed.problem : null;
}

/** The remote path of a file directly in the remote's folder. */
export function remoteFile(remote: string, ...names: string[]): string {
  const base = remote.endsWith(":") || remote.endsWith("/") ? remote : `${remote}/`;
  return base + names.join("/");
}

/** The secret values in the remote's parameters, for redacting what rclone prints. */
export function remoteSecrets(remote: string): string[] {
  const parsed = parseOffsiteRemote(remote);
  if ("problem" in parsed) return [remote];
  return (
    parsed.params
      .filter((p) => !SHOWN_PARAMS.has(p.key.toLowerCase()))
      .map((p) => p.value)
      // A flag's value ("true", "1") is no secret, and redacting it everywhere would garble the text.
      .filter((v) => v.length >= 4 && !["true", "false"].includes(v.toLowerCase()))
  );
}

/** The remote as it may be shown: secret parameter values and URL passwords replaced by [redacted]. */
export function redactRemote(remote: string): string {
  const parsed = parseOffsiteRemote(remote);
  if ("problem" in parsed) return REDACTED;
  const params = parsed.params.map(({ key, value }) => {
    if (!SHOWN_PARAMS.has(key.toLowerCase())) return `,${key}=${REDACTED}`;
    const shown = redactSecrets(value, []);
    return /[,:'"]/.test(shown) ? `,${key}='${shown.replaceAll("'", "''")}'` : `,${key}=${shown}`;
  });
  return `${parsed.onTheFly ? ":" : ""}${parsed.name}${params.join("")}:${parsed.path}`;
}

/** Text that quotes rclone (its errors may repeat the remote) made safe to log, record and send. */
export function redactRcloneText(text: string, remote: string): string {
  return redactSecrets(text.split(remote).join(redactRemote(remote)), remoteSecrets(remote));
}

/** The settings from the environment, or undefined when no remote is set (no off-site copies). */
export function offsiteSettings(env: OffsiteEnv): OffsiteSettings | undefined {
  return env.WIMM_OFFSITE_REMOTE
    ? { remote: env.WIMM_OFFSITE_REMOTE, timeoutMs: (env.WIMM_OFFSITE_TIMEOUT_S ?? 600) * 1000 }
    : undefined;
}

/** The variables of lib/env.ts this reads (optional: callers that never copy off-site omit them). */
export type OffsiteEnv = { WIMM_OFFSITE_REMOTE?: string | undefined; WIMM_OFFSITE_TIMEOUT_S?: number };
