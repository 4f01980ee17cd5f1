export function postSampleLetter(base: string, letter: { subject: string; content: string; departmentIndex?: number }): Promise<Response>;
