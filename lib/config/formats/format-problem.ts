// Where content breaks its format; its own module so the format checkers and their callers share it without a cycle.
export type TFormatProblem = { line: number; column: number; message: string };
