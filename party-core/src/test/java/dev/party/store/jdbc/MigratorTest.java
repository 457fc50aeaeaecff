package dev.party.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How migration files split into statements. */
class MigratorTest {

  @Test
  void splits_on_line_ending_semicolons_and_keeps_function_and_trigger_bodies_whole() {
    String script = """
        -- a comment; not a statement
        CREATE TABLE a (id int);
        CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE a SET id = 1;
          RETURN NULL;
        END $$;
        CREATE TRIGGER t AFTER UPDATE ON a
        BEGIN
          UPDATE a SET id = 2;
          DELETE FROM a;
        END;
        CREATE INDEX i ON a (id);
        """;
    assertThat(Migrator.statements(script)).hasSize(4).satisfies(statements -> {
      assertThat(statements.get(1)).startsWith("CREATE FUNCTION").endsWith("END $$;").contains("RETURN NULL;");
      assertThat(statements.get(2)).startsWith("CREATE TRIGGER").endsWith("END;").contains("DELETE FROM a;");
      assertThat(statements.get(3)).isEqualTo("CREATE INDEX i ON a (id);");
    });
  }

  @Test
  void a_trailing_comment_does_not_hide_a_statements_end_and_a_trigger_may_begin_on_its_first_line() {
    String script = """
        ALTER TABLE a ADD COLUMN b int;   -- the b; it matters
        ALTER TABLE a ADD COLUMN c text DEFAULT '--not a comment';
        CREATE TRIGGER t AFTER UPDATE ON a FOR EACH ROW BEGIN
          UPDATE a SET b = CASE WHEN b > 1 THEN 1 END;
        END; -- t
        """;
    assertThat(Migrator.statements(script)).hasSize(3).satisfies(statements -> {
      assertThat(statements.get(0)).startsWith("ALTER TABLE a ADD COLUMN b int;");
      assertThat(statements.get(1)).endsWith("DEFAULT '--not a comment';");
      assertThat(statements.get(2)).startsWith("CREATE TRIGGER").contains("CASE WHEN").endsWith("END; -- t");
    });
  }
}
