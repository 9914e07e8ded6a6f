import { useLocale, useTranslations } from "next-intl";

import { FieldError } from "@/components/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { decimalMarkOf, formatCentsPlain } from "@/lib/finance/format-plain-amount";
import type { Option } from "@/lib/finance/list-form-options";
import type { TransactionFormState, TransactionFormValues } from "./new/transaction-schema";

/** The fields of a transaction, shared by the add and edit forms; errors sit beside each field. */
export function TransactionFields({
  accounts,
  categories,
  values,
  errors,
}: {
  accounts: Option[];
  categories: Option[];
  /** What the form starts with (the typed values after a refusal). */
  values: Partial<TransactionFormValues>;
  errors: NonNullable<TransactionFormState["errors"]>;
}) {
  const t = useTranslations("TransactionForm");
  // The example amount in the UI language's convention (-12,34 in pt-BR); either one is accepted.
  const example = formatCentsPlain(-1234n, decimalMarkOf(useLocale()));
  return (
    <>
      <div className="grid gap-2">
        <Label htmlFor="accountId">{t("account")}</Label>
        <Select
          id="accountId"
          name="accountId"
          required
          defaultValue={values.accountId ?? ""}
          aria-invalid={errors.accountId ? true : undefined}
          aria-describedby="accountId-error"
        >
          <option value="" disabled>
            {t("chooseAccount")}
          </option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
        <FieldError id="accountId-error" errors={errors.accountId} />
      </div>

      <div className="grid gap-2">
        <Label htmlFor="categoryId">{t("category")}</Label>
        <Select
          id="categoryId"
          name="categoryId"
          defaultValue={values.categoryId ?? ""}
          aria-invalid={errors.categoryId ? true : undefined}
          aria-describedby="categoryId-error"
        >
          <option value="">{t("noCategory")}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
        <FieldError id="categoryId-error" errors={errors.categoryId} />
      </div>

      <div className="grid gap-5 sm:grid-cols-2">
        <div className="grid content-start gap-2">
          <Label htmlFor="amount">{t("amount")}</Label>
          <Input
            id="amount"
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder={example}
            required
            defaultValue={values.amount}
            aria-invalid={errors.amount ? true : undefined}
            aria-describedby="amount-hint amount-error"
          />
          <p id="amount-hint" className="text-xs text-muted-foreground">
            {t("amountHint", { example })}
          </p>
          <FieldError id="amount-error" errors={errors.amount} />
        </div>

        <div className="grid content-start gap-2">
          <Label htmlFor="date">{t("date")}</Label>
          <Input
            id="date"
            name="date"
            type="date"
            required
            defaultValue={values.date}
            aria-invalid={errors.date ? true : undefined}
            aria-describedby="date-error"
          />
          <FieldError id="date-error" errors={errors.date} />
        </div>
      </div>

      <div className="grid gap-2">
        <Label htmlFor="description">{t("description")}</Label>
        <Input
          id="description"
          name="description"
          autoComplete="off"
          maxLength={200}
          required
          defaultValue={values.description}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby="description-error"
        />
        <FieldError id="description-error" errors={errors.description} />
      </div>
    </>
  );
}
