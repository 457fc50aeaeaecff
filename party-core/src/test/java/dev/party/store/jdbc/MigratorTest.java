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
}
