// Domain value types shared by every layer. Each parser returns Parsed<T> with a Chinese reason.
export * from './result.ts';
export * from './money.ts';
export * from './date.ts';
export * from './month.ts';
export * from './idNumber.ts';
export * from './uscc.ts';
export * from './bankCard.ts';
export * from './phone.ts';
export * from './bool.ts';
