// The part of better-sqlite3's API this package uses. Declared here because
// @types/better-sqlite3 is not installed; results are typed `unknown` so every row is decoded
// before use instead of being trusted.
declare module "better-sqlite3" {
  namespace BetterSqlite3 {
    interface Options {
      /** Fail instead of creating the file when it does not exist. */
      readonly fileMustExist?: boolean;
      /** Milliseconds to wait for a lock held by another connection (busy timeout). */
      readonly timeout?: number;
    }

    interface RunResult {
      readonly changes: number;
      readonly lastInsertRowid: number | bigint;
    }

    interface Statement {
      run(...parameters: ReadonlyArray<unknown>): RunResult;
      get(...parameters: ReadonlyArray<unknown>): unknown;
      all(...parameters: ReadonlyArray<unknown>): Array<unknown>;
    }

    interface Transaction<Arguments extends ReadonlyArray<unknown>, Result> {
      (...parameters: Arguments): Result;
      /** Runs inside BEGIN IMMEDIATE: takes the write lock up front. */
      immediate(...parameters: Arguments): Result;
    }

    interface Database {
      readonly open: boolean;
      readonly name: string;
      prepare(source: string): Statement;
      exec(source: string): Database;
      pragma(source: string, options?: { readonly simple?: boolean }): unknown;
      transaction<Arguments extends ReadonlyArray<unknown>, Result>(
        body: (...parameters: Arguments) => Result,
      ): Transaction<Arguments, Result>;
      close(): Database;
    }

    interface DatabaseConstructor {
      new (filename: string, options?: Options): Database;
    }
  }

  const Database: BetterSqlite3.DatabaseConstructor;
  namespace Database {
    type Database = BetterSqlite3.Database;
    type Options = BetterSqlite3.Options;
    type Statement = BetterSqlite3.Statement;
  }
  export = Database;
}
