// The list of test projects: one per package. Imported by vitest.config.ts (vitest 3.2 warns
// when it reads this file on its own, see TOOLCHAIN.md).
export const projects = ["packages/*"];
