/**
 * The browser's side of a restore's two long waits: the upload, sent with XMLHttpRequest
 * because fetch reports no bytes sent; and the restore itself, which runs on the server and
 * is followed by its id (GET /api/restore/progress), remembered in localStorage so that a
 * reload, or another tab of the same browser, finds it again.
 */
import type { RestoreActionResult } from "./restore-schema";
import type { WorkingProgress } from "./restore-progress";
import type { ProgressEvent } from "@/lib/backup-restore/vocabulary";

/** The upload route's answer, or null when none came (the connection broke). */
export type UploadAnswer = { status: number; body: { uploadId?: string; error?: string } } | null;

export function uploadWithProgress(
  file: File,
  onProgress: (sent: number, total: number) => void,
): Promise<UploadAnswer> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/restore/upload");
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: { uploadId?: string; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        /* not JSON: the status says what went wrong */
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => resolve(null);
    xhr.onabort = () => resolve(null);
    xhr.send(file);
  });
}

/** What the page remembers of a restore it started: its id, and what a confirmed migration would run on. */
export type RememberedRestore<T> = { id: string; target: T };

const KEY = "wimm.restore";

export function rememberRestore<T>(restore: RememberedRestore<T>): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(restore));
  } catch {
    /* private mode: the restore still runs; a reload just cannot find it again */
  }
}

export function rememberedRestore<T>(): RememberedRestore<T> | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? "null") as RememberedRestore<T> | null;
    return value && typeof value.id === "string" ? value : null;
  } catch {
    return null;
  }
}

export function forgetRestore(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* nothing to forget */
  }
}

type RunView = {
  state: "running" | "finished";
  progress: ProgressEvent | null;
  percent: number;
  secondsLeft: number | null;
  result?: RestoreActionResult;
};

export type FollowOutcome = { result: RestoreActionResult } | { lost: true } | { noAnswer: true } | { stopped: true };

const POLL_MS = 400;
/** The server may be busy, never silent this long. */
const GIVE_UP_MS = 120_000;

/** Polls the restore until it has a result; `onProgress` hears each step on the way. */
export async function followRestore(
  id: string,
  onProgress: (progress: WorkingProgress) => void,
  signal: AbortSignal,
): Promise<FollowOutcome> {
  let lastAnswer = Date.now();
  while (!signal.aborted) {
    try {
      const response = await fetch(`/api/restore/progress?id=${encodeURIComponent(id)}`, { cache: "no-store", signal });
      if (response.status === 404) return { lost: true };
      if (response.ok) {
        lastAnswer = Date.now();
        const view = (await response.json()) as RunView;
        if (view.state === "finished" && view.result) return { result: view.result };
        if (view.progress) onProgress({ ...view.progress, percent: view.percent, secondsLeft: view.secondsLeft });
      }
    } catch {
      if (signal.aborted) break;
    }
    if (Date.now() - lastAnswer > GIVE_UP_MS) return { noAnswer: true };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return { stopped: true };
}
