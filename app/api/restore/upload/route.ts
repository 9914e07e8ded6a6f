import { Readable } from "node:stream";
import { getTranslations } from "next-intl/server";

import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { demoModeRefusal } from "@/lib/backup-restore/vocabulary";
import { UploadTooLarge, removeUpload, storeUpload, sweepUploads } from "@/lib/backup-restore/uploads/upload-store";
import { adminOrRefusal, sameOriginOrRefusal } from "@/lib/web/request-guards";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Step one of a restore: the file is streamed to a private temp file (never held in
 * memory, never a server action body), hashed on the way, and answered with an id; the
 * restore actions then work on that id, so confirming a migration never uploads the file
 * twice. Nothing here reads what the file holds: detection and inspection happen in the
 * restore, in the isolated child that opens untrusted files.
 */
export async function POST(request: Request) {
  const auth = await adminOrRefusal();
  if ("response" in auth) return auth.response;
  const crossOrigin = sameOriginOrRefusal(request);
  if (crossOrigin) return crossOrigin;
  const env = getEnv();
  const t = await getTranslations("RestoreErrors");
  const demo = demoModeRefusal(env.DEMO_MODE, "upload");
  if (demo) return Response.json({ error: t(`codes.${demo}.error`) }, { status: 403 });
  const limit = env.WIMM_MAX_UPLOAD_MB * 1024 * 1024;
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    return Response.json({ error: t("tooLarge", { limit: env.WIMM_MAX_UPLOAD_MB }) }, { status: 413 });
  }
  if (!request.body) return Response.json({ error: t("noFile") }, { status: 400 });
  // An upload left waiting (a migration never confirmed nor cancelled) goes after an hour.
  sweepUploads(env.WIMM_UPLOAD_DIR, 60 * 60 * 1000);
  try {
    const stored = await storeUpload(
      env.WIMM_UPLOAD_DIR,
      Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>),
      limit,
    );
    if (stored.bytes === 0) {
      removeUpload(env.WIMM_UPLOAD_DIR, stored.id);
      return Response.json({ error: t("emptyFile") }, { status: 400 });
    }
    log("UPLOAD", `by ${auth.user.username}: ${stored.bytes} bytes`);
    return Response.json({ uploadId: stored.id, bytes: stored.bytes, sha256: stored.sha256 });
  } catch (error) {
    if (error instanceof UploadTooLarge)
      return Response.json({ error: t("tooLarge", { limit: env.WIMM_MAX_UPLOAD_MB }) }, { status: 413 });
    log("UPLOAD", `aborted: ${(error as Error).message}`);
    return Response.json({ error: t("incomplete") }, { status: 400 });
  }
}
