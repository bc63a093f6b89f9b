import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isPeriod, PERIOD_PATTERN } from '../domain';

/** The OpenAPI schema of a period field, for @ApiProperty and @ApiPropertyOptional. */
export const PERIOD_SCHEMA = { type: 'string', pattern: PERIOD_PATTERN.source, example: '2026-11' } as const;

/**
 * A period's format at the edge: a month (`2026-11`), a quarter (`2026-Q4`) or a one-off period
 * (`2026-ONE`), as the programmes domain defines it. Whether the programme pays that period is
 * its schedule's to say (422 `PERIOD_NOT_DECLARED`). Named `isPeriod` like @salur/http's rule,
 * which knows months and quarters only, so a refusal reads the same.
 */
export function IsPaymentPeriod(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPeriod',
      validator: {
        validate: (value: unknown) => isPeriod(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'period'} must be a period: a month (2026-11), a quarter (2026-Q4) or a one-off (2026-ONE)`,
      },
    },
    validationOptions,
  );
}
