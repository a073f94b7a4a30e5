/** class-validator options for an enum field whose 400 names the field and lists the allowed values. */
export const oneOf = (values: readonly string[]): { message: string } => ({ message: `$property must be one of ${values.join(', ')}` });
