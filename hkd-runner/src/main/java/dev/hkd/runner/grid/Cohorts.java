package dev.hkd.runner.grid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.runner.run.Cohort;
import dev.hkd.runner.run.ConfigHash;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.train.TeacherPass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Groups a grid's cells into cohorts: cells whose teacher pass is the same, so that one pass per
 * batch can serve them all ({@link dev.hkd.runner.run.CohortRun}). Two cells share a pass when
 * they have the same teacher section (model, checkpoint or SavedModel, its training and seed), the
 * same seed, data section ({@code dataset}, {@code train_limit}, {@code augment}, …), batch size
 * (hence steps per epoch) and evaluation batch size, and their methods ask the same teacher mode
 * and input ({@link TeacherPass#teacherMode}: ReviewKD's teacher BatchNorm on batch statistics, or
 * SSKD's rotated views, make passes of their own). A cell whose method needs no teacher, or whose
 * pass is unlike every other's, is a cohort of one and runs alone as without cohorts. Grouping
 * changes no cell's configuration, hash or folder.
 *
 * <pre>{@code
 * for (Cohorts.Group g : Cohorts.of(cells, grid.file())) {
 *     System.out.println(g.describe(total));   // cohort 1/3 (id 3f2a9c1e, 5 cells): 1 method.name=kd seed=1, ...
 * }
 * }</pre>
 */
public final class Cohorts {

    /**
     * One cohort of a grid, in the order of its first cell.
     *
     * @param index its position among the grid's cohorts (what {@code hkd run --cohort I} names)
     * @param id derived from what its teacher pass reads, the same on every run of the grid
     */
    public record Group(int index, String id, List<Cell> members) {

        /** Whether its cells train together: a group of one runs alone. */
        public boolean shared() {
            return members.size() > 1;
        }

        /** What each member records; null for a cell that runs alone. */
        public Cohort cohort() {
            return shared() ? new Cohort(id, members.size()) : null;
        }

        /** {@code cohort 2/4 (id 3f2a9c1e, 5 cells): 1 method.name=kd seed=1; 2 method.name=at seed=1; …}. */
        public String describe(int cohorts) {
            return "cohort " + (index + 1) + "/" + cohorts + " (id " + id + ", " + members.size()
                    + (members.size() == 1 ? " cell" : " cells")
                    + (shared() ? "" : ", alone") + "): "
                    + members.stream()
                            .map(c -> (c.index() + 1) + " " + c.describe())
                            .collect(Collectors.joining("; "));
        }
    }

    private Cohorts() {}

    /** The cohorts of {@code cells}, each in cell order, ordered by their first cell. */
    public static List<Group> of(List<Cell> cells, Path gridFile) {
        DistillerRegistry registry = DistillerRegistry.fromClasspath();
        Map<String, List<Cell>> byKey = new LinkedHashMap<>();
        for (Cell cell : cells) {
            byKey.computeIfAbsent(key(cell, registry, gridFile), k -> new ArrayList<>())
                    .add(cell);
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<Cell>> e : byKey.entrySet()) {
            groups.add(new Group(groups.size(), e.getKey().substring(0, 8), List.copyOf(e.getValue())));
        }
        return groups;
    }

    /** The identity of the teacher pass a cell needs; a cell without a teacher gets a key of its own. */
    static String key(Cell cell, DistillerRegistry registry, Path gridFile) {
        RunConfig config = cell.config();
        MethodSet method = MethodSet.build(config.method(), registry, gridFile);
        if (config.teacher() == null || !method.needsTeacher()) {
            return ConfigHash.of(List.of("alone", cell.hash()));
        }
        TeacherPass.TeacherMode mode =
                TeacherPass.teacherMode(method.modelNeeds(), method.dataNeeds().rotatedViews());
        ObjectNode tree = ConfigLoader.mapper().valueToTree(config);
        return ConfigHash.of(List.of(
                tree.get("teacher"),
                config.seed(),
                tree.get("data"),
                config.training().batchSize(),
                config.evalBatchSize(),
                mode.batchNorm().name(),
                mode.preActivation(),
                mode.rotatedViews()));
    }
}
