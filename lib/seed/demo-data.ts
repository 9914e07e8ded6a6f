/**
 * Demo data for `wimm seed`: what a Brazilian family's two years look like, with accents and
 * emoji as real families write them. Deterministic (seeded PRNG) so tests and benchmarks
 * build the same database every time.
 */
export const DEMO_ACCOUNTS = ["Conta Corrente", "Poupança", "Cartão de Crédito", "Carteira 👛"];

export const DEMO_CATEGORIES = ["Mercado", "Padaria", "Transporte", "Salário", "Lazer", "Saúde", "Moradia", "Educação"];

/** [description, category index, min cents, max cents] — negative amounts are spending. */
export const DEMO_PAYEES: [string, number, number, number][] = [
  ["Padaria São João ☕", 1, -4500, -800],
  ["Supermercado Pão de Açúcar 🛒", 0, -65000, -4000],
  ["Feira livre — hortifrúti 🥬", 0, -12000, -1500],
  ["Uber 🚗", 2, -6000, -900],
  ["Posto Ipiranga ⛽", 2, -30000, -8000],
  ["Cinema Cinépolis 🎬", 4, -9000, -2500],
  ["Açaí & Cia 🍇", 4, -4000, -1200],
  ["Farmácia Drogasil 💊", 5, -18000, -1000],
  ["Consulta Dr. José Conceição", 5, -45000, -20000],
  ["Condomínio Edifício Ipê", 6, -120000, -80000],
  ["Conta de luz — Enel ⚡", 6, -40000, -12000],
  ["Escola Municipal — material 📚", 7, -25000, -3000],
];

export const DEMO_INCOME: [string, number, number, number] = ["Salário 💰", 3, 650000, 900000];

/** Mulberry32: tiny, fast, good enough for demo data. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DemoTransaction = {
  accountIndex: number;
  categoryIndex: number | null;
  userIndex: number;
  amountCents: bigint;
  description: string;
  occurredAtMs: number;
  reconciled: boolean;
};

/**
 * The i-th of n demo transactions, spread evenly over the two years before `endMs`, one
 * salary every ~30 entries. A generator, so a million rows never sit in memory at once.
 */
export function* demoTransactions(n: number, endMs: number, seed = 42): Generator<DemoTransaction> {
  const random = createRandom(seed);
  const span = 730 * 86_400_000;
  const start = endMs - span;
  for (let i = 0; i < n; i++) {
    const isIncome = i % 30 === 29;
    const [description, categoryIndex, min, max] = isIncome
      ? DEMO_INCOME
      : DEMO_PAYEES[Math.floor(random() * DEMO_PAYEES.length)]!;
    const amount = Math.round(min + random() * (max - min));
    const occurredAtMs = Math.floor(start + (span * (i + random())) / Math.max(n, 1));
    yield {
      accountIndex: isIncome ? 0 : Math.floor(random() * DEMO_ACCOUNTS.length),
      categoryIndex: random() < 0.05 ? null : categoryIndex,
      userIndex: random() < 0.7 ? 0 : 1,
      amountCents: BigInt(amount),
      description,
      occurredAtMs: Math.min(occurredAtMs, endMs - 1),
      reconciled: occurredAtMs < endMs - 30 * 86_400_000,
    };
  }
}

/** DateTime as the Prisma better-sqlite3 adapter writes it: ISO-8601, milliseconds, +00:00. */
export function prismaSqliteDate(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}
