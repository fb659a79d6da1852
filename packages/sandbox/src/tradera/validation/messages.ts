/** Tradera quotes an invalid value in single quotes: "'x' is not a valid choice." */
export const invalidChoice = (value: unknown): string =>
  `'${String(value)}' is not a valid choice.`;
