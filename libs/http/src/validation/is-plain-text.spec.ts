import { plainToInstance, Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested, validateSync } from 'class-validator';
import { flattenValidationErrors } from '../errors/request-validation';
import { IsPlainText } from './ledger-validators';

class Account {
  @IsString()
  @IsPlainText()
  accountHolderName!: string;
}

class Enrolment {
  @IsString()
  @IsPlainText()
  name!: string;

  @IsOptional()
  @IsString()
  @IsPlainText()
  note?: string;

  @ValidateNested()
  @Type(() => Account)
  account!: Account;
}

function fieldErrors(input: object) {
  return flattenValidationErrors(validateSync(plainToInstance(Enrolment, input))).errors;
}

const valid = { name: 'SITI AMINAH', account: { accountHolderName: 'SITI AMINAH' } };

describe('IsPlainText', () => {
  it('accepts plain text and leaves an absent optional field alone', () => {
    expect(fieldErrors(valid)).toEqual([]);
    expect(fieldErrors({ ...valid, name: 'Nguyễn Thị Hằng', note: 'verified at the village office' })).toEqual([]);
  });

  it('names the field, nested ones by their path, and the character', () => {
    expect(fieldErrors({ ...valid, name: 'SITI\u202EHANIMA' })).toEqual([
      {
        field: 'name',
        reason: 'name must not contain U+202E RIGHT-TO-LEFT OVERRIDE (a bidirectional control) at character 5',
      },
    ]);
    expect(fieldErrors({ ...valid, account: { accountHolderName: 'SITI\u200BAMINAH' } })).toEqual([
      {
        field: 'account.accountHolderName',
        reason:
          'accountHolderName must not contain U+200B ZERO WIDTH SPACE (an invisible format character) at character 5',
      },
    ]);
  });

  it('refuses a line break in a note and checks the value as sent, without trimming it', () => {
    expect(fieldErrors({ ...valid, note: 'first line\nsecond line' })).toMatchObject([{ field: 'note' }]);
    expect(fieldErrors({ ...valid, name: 'SITI AMINAH\n' })).toMatchObject([{ field: 'name' }]);
  });

  it('leaves the type to IsString', () => {
    expect(fieldErrors({ ...valid, name: 42 })).toEqual([{ field: 'name', reason: 'name must be a string' }]);
  });
});
