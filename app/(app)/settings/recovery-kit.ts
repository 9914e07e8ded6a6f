/**
 * The recovery kit: the private key of a key pair made in the admin's browser, with what to
 * do with it, in both languages at once (a kit is printed and kept for years, and may be
 * read by someone else of the family than the admin who made it).
 *
 * The kit is itself a valid age identity file: every line but the key is a `#` comment, so
 * `age -d -i kit.txt backup.age` and `wimm restore backup.age --identity kit.txt` read it as
 * it is, and nobody has to cut the key out of it by hand.
 */
export type RecoveryKit = {
  identity: string;
  recipient: string;
  family: string;
  /** When the key was made, already formatted for the reader (the family's zone). */
  created: string;
};

export function recoveryKitText({ identity, recipient, family, created }: RecoveryKit): string {
  return [
    "# WIMM-Finance — recovery kit / kit de recuperação",
    `# ${family} · ${created}`,
    "#",
    "# [English]",
    "# This file holds the private key that opens this family's encrypted WIMM-Finance",
    "# backups. Without it no encrypted backup can be restored, by you or by anyone else:",
    "# the server never had it. Keep it away from the server: print it and keep it with",
    "# your important papers, and/or store it in a password manager.",
    "# To restore on a new server: install WIMM-Finance, then either choose the .age backup",
    "# in Settings → Backup & Restore and give this file (or its AGE-SECRET-KEY line) when",
    "# asked, or run:  ./bin/wimm restore BACKUP.age --identity recovery-kit.txt",
    "# With the age tool:  age -d -i recovery-kit.txt BACKUP.age > BACKUP",
    "#",
    "# [Português]",
    "# Este arquivo guarda a chave privada que abre os backups criptografados do",
    "# WIMM-Finance desta família. Sem ela nenhum backup criptografado pode ser restaurado,",
    "# nem por você nem por ninguém: o servidor nunca a teve. Guarde-a longe do servidor:",
    "# imprima e guarde com seus documentos importantes, e/ou num gerenciador de senhas.",
    "# Para restaurar num servidor novo: instale o WIMM-Finance e escolha o backup .age em",
    "# Configurações → Backup e restauração, informando este arquivo (ou a linha",
    "# AGE-SECRET-KEY) quando pedido, ou rode:",
    "#   ./bin/wimm restore BACKUP.age --identity recovery-kit.txt",
    "# Com a ferramenta age:  age -d -i recovery-kit.txt BACKUP.age > BACKUP",
    "#",
    `# public key / chave pública: ${recipient}`,
    identity,
    "",
  ].join("\n");
}

/** The AGE-SECRET-KEY line of a pasted key or kit file, or null when there is none. */
export function identityFromText(text: string): string | null {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => /^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(l));
  return line ?? null;
}
