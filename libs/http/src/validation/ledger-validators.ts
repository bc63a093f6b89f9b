import { ApiProperty, DECORATORS } from '@nestjs/swagger';
import { parseAmount, parsePositiveAmount, plainTextRefusal } from '@salur/kernel';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { PERIOD_PATTERN } from '@salur/kernel';

/** A period of a disbursement round: a month (`2026-11`) or a quarter (`2026-Q4`). */

/**
 * Ids the ledger makes: random (version 4) or derived (version 5, `deterministicId`), always
 * lower case: an id is part of a stream name, and `payment-ABC…` and `payment-abc…` would be
 * two streams for one payment.
 */
export const UUID_V4_OR_V5_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface AmountOptions {
  /** Refuse zero as well. */
  readonly positive?: boolean;
}

/**
 * A rupiah amount as a decimal string ("600000.00"): the rules are `parseAmount`'s from
 * @salur/kernel (one definition), so the refusal here reads the same as the domain's.
 */
export function IsAmountString(options: AmountOptions = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  const parse = options.positive ? parsePositiveAmount : parseAmount;
  const refusal = (value: unknown, field: string): string | undefined => {
    try {
      parse(value, field);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
  return propertyRule(
    'isAmountString',
    validationOptions,
    (value, args) => refusal(value, args.property) === undefined,
    (args) => refusal(args.value, args.property) ?? `${args.property} is not an amount`,
    {
      type: 'string',
      example: '600000.00',
      description: `Rupiah as a decimal string: digits, at most 2 decimals, no sign, exponent or leading zeros${
        options.positive ? ', above zero' : ''
      }`,
    },
  );
}

/** A month (`2026-11`), a quarter (`2026-Q4`) or a one-off period (`2026-ONE`): see PERIOD_PATTERN. */
export function IsPeriod(validationOptions?: ValidationOptions): PropertyDecorator {
  return propertyRule(
    'isPeriod',
    validationOptions,
    (value) => typeof value === 'string' && PERIOD_PATTERN.test(value),
    (args) => `${args.property} must be a period: a month (2026-11), a quarter (2026-Q4) or a one-off (2026-ONE)`,
    { type: 'string', pattern: PERIOD_PATTERN.source, example: '2026-11' },
  );
}

/** A lower-case UUID of version 4 or 5. */
export function IsUuidV4OrV5(validationOptions?: ValidationOptions): PropertyDecorator {
  return propertyRule(
    'isUuidV4OrV5',
    validationOptions,
    (value) => typeof value === 'string' && UUID_V4_OR_V5_PATTERN.test(value),
    (args) => `${args.property} must be a lower-case UUID (version 4 or 5)`,
    { type: 'string', format: 'uuid', pattern: UUID_V4_OR_V5_PATTERN.source },
  );
}

/**
 * Text that may reach a bank file, an export or an officer's screen (a name, a reason, a note):
 * no control, bidirectional or invisible character (the kernel's plainTextRefusal, the rule
 * parseText applies in the domain), checked on the value exactly as sent: nothing is trimmed or
 * removed first. The refusal names the field and the character, never the text (it may be
 * personal data). Checks strings only: pair it with @IsString.
 */
export function IsPlainText(validationOptions?: ValidationOptions): PropertyDecorator {
  return propertyRule(
    'isPlainText',
    validationOptions,
    (value, args) => typeof value !== 'string' || plainTextRefusal(value, args.property) === undefined,
    (args) => plainTextRefusal(String(args.value), args.property) ?? `${args.property} must be plain text`,
  );
}

/**
 * A class-validator rule plus its OpenAPI schema, when it has one. The schema does not override
 * what the DTO says itself with @ApiProperty (a description, an example).
 */
function propertyRule(
  name: string,
  validationOptions: ValidationOptions | undefined,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  defaultMessage: (args: ValidationArguments) => string,
  schema?: Record<string, unknown>,
): PropertyDecorator {
  return (target: object, propertyKey: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyKey),
      options: validationOptions,
      validator: {
        validate,
        defaultMessage: (args: ValidationArguments) =>
          args.value === undefined || args.value === null ? `${args.property} is required` : defaultMessage(args),
      },
    });
    if (schema === undefined) return;
    // What the DTO's own @ApiProperty says wins, whichever order the decorators are written in.
    const declared = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, target, propertyKey) as object | undefined;
    ApiProperty({ ...schema, ...declared })(target, String(propertyKey));
  };
}

/** Any lower-case UUID the ledger makes: random (v4), derived (v5) or keyed (v8, beneficiary ids). */
export const RECORD_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A programme id: its code and fiscal year, `BANTU-UMAK-2026`. */
export const PROGRAMME_ID_PATTERN = /^[A-Z][A-Z0-9-]{1,31}-[0-9]{4}$/;

/** The id of a payment, batch or beneficiary; `each` for arrays of them. */
export function IsRecordId(validationOptions?: ValidationOptions): PropertyDecorator {
  return propertyRule(
    'isRecordId',
    validationOptions,
    (value) => typeof value === 'string' && RECORD_ID_PATTERN.test(value),
    (args) => `${args.property} must be a lower-case UUID`,
    { type: 'string', format: 'uuid', pattern: RECORD_ID_PATTERN.source },
  );
}

export function IsProgrammeId(validationOptions?: ValidationOptions): PropertyDecorator {
  return propertyRule(
    'isProgrammeId',
    validationOptions,
    (value) => typeof value === 'string' && PROGRAMME_ID_PATTERN.test(value),
    (args) => `${args.property} must be a programme id such as BANTU-UMAK-2026`,
    { type: 'string', pattern: PROGRAMME_ID_PATTERN.source, example: 'BANTU-UMAK-2026' },
  );
}
