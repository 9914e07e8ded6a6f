"use client";

import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

/** A key file or recovery kit is a few lines: anything much larger is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * Where an admin gives a private key: pasted, or read from a recovery kit or key file chosen
 * on this computer (read here, in the browser, into the same field).
 */
export function KeyTextField({
  id,
  label,
  labelHidden = false,
  fileLabel,
  value,
  onChange,
  rows,
  placeholder,
}: {
  id: string;
  label: string;
  labelHidden?: boolean;
  fileLabel: string;
  value: string;
  onChange: (text: string) => void;
  rows: number;
  placeholder?: string;
}) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id} className={cn(labelHidden && "sr-only")}>
        {label}
      </Label>
      <textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={rows}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        className="rounded-md border bg-transparent p-2 font-mono text-xs"
      />
      <Input
        type="file"
        accept=".txt,text/plain"
        aria-label={fileLabel}
        className="max-w-xs"
        onChange={async (e) => {
          const chosen = e.target.files?.[0];
          if (chosen && chosen.size < MAX_KEY_FILE_BYTES) onChange(await chosen.text());
          e.target.value = "";
        }}
      />
    </div>
  );
}
