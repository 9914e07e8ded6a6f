"use client";

import { useActionState, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { Decrypter, generateX25519Identity, identityToRecipient } from "age-encryption";

import { FieldError } from "@/components/field-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

import { addBackupRecipient, recordKeyCheck, removeBackupRecipient } from "./backup-encryption-actions";
import type { AddRecipientState } from "./backup-encryption-schema";
import { KeyTextField } from "./key-text-field";
import { identityFromText, recoveryKitText } from "./recovery-kit";

/** `age1abcd…wxyz`: enough to tell keys apart at a glance; the whole key is in the title. */
const short = (recipient: string) => `${recipient.slice(0, 10)}…${recipient.slice(-6)}`;

/**
 * The keys that copies leaving the server are encrypted to. A new key pair is made here, in
 * the browser: only its public half is sent to the server; the private half goes into the
 * recovery kit the admin saves, and is dropped from the page once the key is in use.
 */
export function BackupEncryptionKeys({
  recipients,
  family,
  createdLabel,
  newestEncrypted,
}: {
  recipients: string[];
  family: string;
  /** Today, formatted in the family's zone, for the kit's heading. */
  createdLabel: string;
  /** The newest encrypted backup of the folder, to try a key on. */
  newestEncrypted: string | null;
}) {
  const t = useTranslations("BackupEncryption");
  return (
    <div className="grid gap-4">
      {recipients.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="no-recipients">
          {t("none")}
        </p>
      ) : (
        <ul className="grid gap-2" data-testid="recipients">
          {recipients.map((recipient) => (
            <li key={recipient} className="flex flex-wrap items-center gap-2 text-sm" data-recipient={recipient}>
              <code title={recipient} className="rounded bg-muted px-1.5 py-0.5">
                {short(recipient)}
              </code>
              <RemoveRecipientButton recipient={recipient} />
            </li>
          ))}
        </ul>
      )}
      <NewKeyPair family={family} createdLabel={createdLabel} />
      <AddRecipientForm />
      {newestEncrypted && <TryKey file={newestEncrypted} />}
    </div>
  );
}

function RemoveRecipientButton({ recipient }: { recipient: string }) {
  const t = useTranslations("BackupEncryption");
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await removeBackupRecipient({ recipient });
            setError(result.ok ? null : result.error);
          })
        }
      >
        {t("remove")}
      </Button>
      {error && (
        <span role="alert" className="text-sm text-destructive">
          {error}
        </span>
      )}
    </>
  );
}

/** Make a key pair in the browser, save its kit, then hand the server the public key alone. */
function NewKeyPair({ family, createdLabel }: { family: string; createdLabel: string }) {
  const t = useTranslations("BackupEncryption");
  const [pair, setPair] = useState<{ identity: string; recipient: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (!pair)
    return (
      <div>
        <Button
          type="button"
          variant="outline"
          onClick={async () => {
            const identity = await generateX25519Identity();
            setPair({ identity, recipient: await identityToRecipient(identity) });
            setSaved(false);
          }}
        >
          {t("generate")}
        </Button>
      </div>
    );

  const kit = recoveryKitText({ ...pair, family, created: createdLabel });
  const fileName = "wimm-recovery-kit.txt";
  return (
    <section
      aria-labelledby="recovery-kit-title"
      className="grid gap-3 rounded-md border p-4"
      data-testid="recovery-kit"
    >
      <h4 id="recovery-kit-title" className="text-sm font-medium">
        {t("kitTitle")}
      </h4>
      <p className="text-sm">{t("kitText")}</p>
      <pre className="max-h-64 overflow-auto rounded bg-muted p-3 text-xs whitespace-pre-wrap" data-testid="kit-text">
        {kit}
      </pre>
      <div className="flex flex-wrap gap-2">
        <Button asChild variant="outline">
          <a href={`data:text/plain;charset=utf-8,${encodeURIComponent(kit)}`} download={fileName}>
            {t("download")}
          </a>
        </Button>
        <Button type="button" variant="outline" onClick={() => printKit(kit, t("kitTitle"))}>
          {t("print")}
        </Button>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
        {t("kitSaved")}
      </label>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          disabled={!saved || pending}
          onClick={() =>
            startTransition(async () => {
              const result = await addBackupRecipient({ recipient: pair.recipient });
              if (result.ok) {
                setPair(null); // the private key leaves the page with the kit
                setError(null);
              } else setError(result.error);
            })
          }
        >
          {t("useKey")}
        </Button>
        <Button type="button" variant="ghost" onClick={() => setPair(null)}>
          {t("discard")}
        </Button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
    </section>
  );
}

/** The kit alone in a window of its own, printed from there (the settings page is not printable as a kit). */
function printKit(kit: string, title: string) {
  const w = window.open("", "_blank", "noopener=no,width=720,height=900");
  if (!w) return;
  const pre = w.document.createElement("pre");
  pre.style.cssText = "font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap";
  pre.textContent = kit;
  w.document.title = title;
  w.document.body.append(pre);
  w.focus();
  w.print();
}

function AddRecipientForm() {
  const t = useTranslations("BackupEncryption");
  const [state, formAction, pending] = useActionState(async (_prev: AddRecipientState, formData: FormData) => {
    const recipient = String(formData.get("recipient") ?? "");
    const result = await addBackupRecipient({ recipient });
    return result.ok ? { savedAt: Date.now() } : { errors: { recipient: [result.error] }, recipient };
  }, {} as AddRecipientState);
  return (
    <form key={`${state.savedAt ?? 0}`} action={formAction} className="grid gap-2 sm:max-w-xl" noValidate>
      <Label htmlFor="backup-recipient">{t("pasteLabel")}</Label>
      <div className="flex gap-2">
        <Input
          id="backup-recipient"
          name="recipient"
          defaultValue={state.recipient ?? ""}
          placeholder="age1…"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={state.errors?.recipient ? true : undefined}
          aria-describedby="backup-recipient-error"
          className="font-mono"
        />
        <Button type="submit" variant="outline" disabled={pending}>
          {t("add")}
        </Button>
      </div>
      <FieldError id="backup-recipient-error" errors={state.errors?.recipient} />
    </form>
  );
}

type TryResult = { ok: boolean; message: string } | null;

/**
 * "Do you still have the key?": the key (pasted, or the kit file) is tried here, in the
 * browser, on the first bytes of the newest encrypted backup; only the outcome and the
 * key's public half are reported to the server, for the reminder.
 */
function TryKey({ file }: { file: string }) {
  const t = useTranslations("BackupEncryption");
  const [text, setText] = useState("");
  const [result, setResult] = useState<TryResult>(null);
  const [pending, startTransition] = useTransition();

  const tryIt = () =>
    startTransition(async () => {
      const identity = identityFromText(text);
      if (!identity) {
        setResult({ ok: false, message: t("tryNoKey") });
        return;
      }
      const ok = await opensBackup(identity, file);
      setText(""); // the key does not stay on the page
      if (ok === null) {
        setResult({ ok: false, message: t("tryUnreachable", { file }) });
        return;
      }
      await recordKeyCheck({ file, recipient: await identityToRecipient(identity), ok });
      setResult({ ok, message: t(ok ? "tryOk" : "tryWrong", { file }) });
    });

  return (
    <section aria-labelledby="try-key-title" className="grid gap-2 sm:max-w-xl">
      <h4 id="try-key-title" className="text-sm font-medium">
        {t("tryTitle")}
      </h4>
      <p className="text-sm text-muted-foreground">{t("tryText", { file })}</p>
      <KeyTextField
        id="try-key"
        label={t("tryLabel")}
        labelHidden
        fileLabel={t("tryFile")}
        value={text}
        onChange={setText}
        rows={2}
        placeholder="AGE-SECRET-KEY-1…"
      />
      <div>
        <Button type="button" variant="outline" disabled={pending || !text.trim()} onClick={tryIt}>
          {t("tryButton")}
        </Button>
      </div>
      {result && (
        <p role="status" className={result.ok ? "text-sm" : "text-sm text-destructive"} data-testid="try-key-result">
          {result.message}
        </p>
      )}
    </section>
  );
}

/**
 * Whether the key opens the backup: true once its header and first chunk decrypt (the
 * header's MAC proves the key, the chunk's tag the bytes), false when they do not, null
 * when the file could not be fetched. The rest of the download is cancelled.
 */
async function opensBackup(identity: string, file: string): Promise<boolean | null> {
  let response: Response;
  try {
    response = await fetch(`/api/backups/${encodeURIComponent(file)}`, { cache: "no-store" });
  } catch {
    return null;
  }
  if (!response.ok || !response.body) return null;
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  const body = response.body;
  try {
    const plain = await decrypter.decrypt(body);
    const reader = plain.getReader();
    const first = await reader.read();
    await reader.cancel();
    return !first.done && first.value.length > 0;
  } catch {
    await body.cancel().catch(() => undefined);
    return false;
  }
}
