package org.vnetlab.emulator.nftables;

import java.util.List;
import java.util.Optional;

/**
 * One nft command, as {@code nft} runs it from its command line or from a file ({@code nft -f}): table blocks
 * are expanded by the parser into the add commands they stand for (table, its sets, its chains, then the
 * rules, as nft does). {@link NftRuleset#apply} executes them; each remembers where it was written.
 */
public sealed interface NftCommand {
    Source source();

    /**
     * {@code add table} / {@code create table} (create fails when it exists); {@code managedBy} marks a table another
     * tool owns (see {@link NftTable#managedBy}).
     */
    record AddTable(Source source, Family family, String name, boolean create, Optional<String> comment,
                    Optional<String> managedBy) implements NftCommand {}

    record DeleteTable(Source source, Family family, String name) implements NftCommand {}

    /** {@code flush table}: every rule of every chain goes; chains and sets stay. */
    record FlushTable(Source source, Family family, String name) implements NftCommand {}

    /** {@code add chain} / {@code create chain}; an existing base chain may have its policy changed. */
    record AddChain(Source source, Family family, String table, String name, boolean create, Optional<BaseChainSpec> base,
                    Optional<String> comment) implements NftCommand {}

    record DeleteChain(Source source, Family family, String table, String name) implements NftCommand {}

    record FlushChain(Source source, Family family, String table, String name) implements NftCommand {}

    /** Where {@code add}/{@code insert} put a rule: after/before the rule with a handle, or at a 0-based index. */
    sealed interface Position {
        record Handle(long handle) implements Position {}

        record Index(int index) implements Position {}
    }

    /**
     * {@code add rule} (append, or after {@code position}) / {@code insert rule} (prepend, or before it).
     * {@code statements} are canonical (see {@link Stmt}).
     */
    record AddRule(Source source, Family family, String table, String chain, boolean insert, Optional<Position> position,
                   List<Stmt> statements, Optional<String> comment) implements NftCommand {
        public AddRule {
            statements = List.copyOf(statements);
        }
    }

    /** {@code replace rule ... handle N STATEMENTS}. */
    record ReplaceRule(Source source, Family family, String table, String chain, long handle, List<Stmt> statements,
                       Optional<String> comment) implements NftCommand {
        public ReplaceRule {
            statements = List.copyOf(statements);
        }
    }

    record DeleteRule(Source source, Family family, String table, String chain, long handle) implements NftCommand {}

    /** {@code add set}/{@code add map} (or a set declared in a table block); the handle is assigned on apply. */
    record AddSet(Source source, Family family, String table, NftSet set) implements NftCommand {}

    record DeleteSet(Source source, Family family, String table, String name) implements NftCommand {}

    record FlushSet(Source source, Family family, String table, String name) implements NftCommand {}

    /** {@code add element} / {@code delete element}. */
    record Elements(Source source, Family family, String table, String set, boolean delete, List<ElementText> elements)
            implements NftCommand {
        public Elements {
            elements = List.copyOf(elements);
        }
    }

    /** {@code flush ruleset [FAMILY]}. */
    record FlushRuleset(Source source, Optional<Family> family) implements NftCommand {}

    /** What {@code nft list} shows; listing changes nothing. */
    record Listing(Source source, What what, Optional<Family> family, Optional<String> table, Optional<String> name)
            implements NftCommand {
        public enum What { RULESET, TABLES, TABLE, CHAINS, CHAIN, SETS, SET }
    }
}
