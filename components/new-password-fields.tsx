import { FieldError } from "@/components/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

/**
 * A new password typed twice (`password`, `confirmPassword`: the names every password action
 * reads), with the hint and each field's errors beside it. Used by adding a user, resetting a
 * user's password and changing one's own.
 */
export function NewPasswordFields({
  idPrefix,
  passwordLabel,
  confirmLabel,
  hint,
  errors,
  className,
}: {
  idPrefix: string;
  passwordLabel: string;
  confirmLabel: string;
  hint: string;
  errors: { password?: string[]; confirmPassword?: string[] };
  className?: string;
}) {
  const password = `${idPrefix}-password`;
  const confirm = `${idPrefix}-confirm-password`;
  return (
    <div className={cn("grid gap-4 sm:grid-cols-2", className)}>
      <div className="grid content-start gap-2">
        <Label htmlFor={password}>{passwordLabel}</Label>
        <Input
          id={password}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={`${password}-hint ${password}-error`}
        />
        <p id={`${password}-hint`} className="text-sm text-muted-foreground">
          {hint}
        </p>
        <FieldError id={`${password}-error`} errors={errors.password} />
      </div>
      <div className="grid content-start gap-2">
        <Label htmlFor={confirm}>{confirmLabel}</Label>
        <Input
          id={confirm}
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={errors.confirmPassword ? true : undefined}
          aria-describedby={`${confirm}-error`}
        />
        <FieldError id={`${confirm}-error`} errors={errors.confirmPassword} />
      </div>
    </div>
  );
}
