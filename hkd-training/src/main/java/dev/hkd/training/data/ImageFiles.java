package dev.hkd.training.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A labelled list of image files, all that a streamed set holds in memory: per sample its folder
 * (an index into a short list) and its file name. The layouts read here are checked as they are
 * listed, each problem one line naming the folder or file: no class folders, an empty class
 * folder, train and val with different classes (labels would silently shift), an annotation
 * naming an unknown class.
 *
 * <pre>{@code
 * ImageFiles[] trainVal = ImageFiles.imageNet(Path.of("/data/ILSVRC2012"));  // train/<wnid>/*.JPEG, val/<wnid>/*.JPEG
 * Path first = trainVal[0].path(0);
 * }</pre>
 */
public final class ImageFiles {

    private final String name;
    private final List<Path> folders;
    private final int[] folderOf;
    private final String[] files;
    private final int[] labels;
    private final List<String> classes;

    private ImageFiles(
            String name, List<Path> folders, int[] folderOf, String[] files, int[] labels, List<String> classes) {
        this.name = name;
        this.folders = List.copyOf(folders);
        this.folderOf = folderOf;
        this.files = files;
        this.labels = labels;
        this.classes = List.copyOf(classes);
    }

    public String name() {
        return name;
    }

    public int size() {
        return files.length;
    }

    public Path path(int i) {
        return folders.get(folderOf[i]).resolve(files[i]);
    }

    /** File {@code i}'s name inside its folder (no path is made). */
    public String fileName(int i) {
        return files[i];
    }

    public int label(int i) {
        return labels[i];
    }

    public int[] labels() {
        return labels.clone();
    }

    /** Class names (folder names or wnids), in label order. */
    public List<String> classes() {
        return classes;
    }

    /** The first {@code n} files. */
    public ImageFiles head(int n) {
        if (n >= files.length) {
            return this;
        }
        return new ImageFiles(
                name + "[:" + n + "]",
                folders,
                java.util.Arrays.copyOf(folderOf, n),
                java.util.Arrays.copyOf(files, n),
                java.util.Arrays.copyOf(labels, n),
                classes);
    }

    /** Whether a file name is one of the image types read (.jpeg, .jpg, .png, .bmp, .gif, any case). */
    public static boolean isImageName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg")
                || n.endsWith(".jpeg")
                || n.endsWith(".png")
                || n.endsWith(".bmp")
                || n.endsWith(".gif");
    }

    /** ILSVRC-2012 as torchvision's {@code ImageFolder} reads it: {@code train/<wnid>/} and {@code val/<wnid>/}, classes sorted. */
    public static ImageFiles[] imageNet(Path dir) {
        ImageFiles train = classFolders(dir.resolve("train"), "imagenet/train");
        ImageFiles val = classFolders(dir.resolve("val"), "imagenet/val");
        sameClasses(dir, train, val);
        return new ImageFiles[] {train, val};
    }

    /** One folder of class sub-folders, classes sorted by name (image-folder and ImageNet layouts). */
    public static ImageFiles classFolders(Path dir, String name) {
        List<Path> classDirs = subFolders(dir, "one sub-folder of images per class");
        List<Path> folders = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            Path classDir = classDirs.get(c);
            List<String> images = imageNames(classDir);
            if (images.isEmpty()) {
                throw new DataException(classDir + ": class folder with no images (.jpeg, .jpg, .png, .bmp, .gif);"
                        + " add its images or remove the folder");
            }
            folders.add(classDir);
            classes.add(classDir.getFileName().toString());
            for (String f : images) {
                files.add(f);
                labels.add(c);
            }
        }
        int[] folderOf = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageFiles(
                name + " (" + dir + ")", folders, folderOf, files.toArray(String[]::new), folderOf.clone(), classes);
    }

    /**
     * Tiny-ImageNet-200: classes from {@code wnids.txt} (sorted, as {@code ImageFolder} on
     * {@code train/} numbers them), {@code train/<wnid>/images/*.JPEG}, and {@code val/images/}
     * labelled by {@code val/val_annotations.txt}; {@code test/} (unlabelled) is ignored.
     */
    public static ImageFiles[] tinyImageNet(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such folder (expected Tiny-ImageNet-200: wnids.txt, train/, val/)");
        }
        Path wnidsFile = dir.resolve("wnids.txt");
        List<String> lines = readLines(wnidsFile, "the class list, one wnid a line");
        TreeSet<String> wnids = new TreeSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String w = lines.get(i).trim();
            if (w.isEmpty()) {
                continue;
            }
            if (!wnids.add(w)) {
                throw new DataException(wnidsFile + ":" + (i + 1) + ": wnid '" + w + "' listed twice");
            }
        }
        if (wnids.isEmpty()) {
            throw new DataException(wnidsFile + ": lists no wnid (expected one class id a line, e.g. n01443537)");
        }
        List<String> classes = new ArrayList<>(wnids);
        Map<String, Integer> labelOf = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            labelOf.put(classes.get(c), c);
        }
        Path trainDir = dir.resolve("train");
        for (Path sub : subFolders(trainDir, "one folder per wnid of wnids.txt")) {
            String w = sub.getFileName().toString();
            if (!labelOf.containsKey(w)) {
                throw new DataException(sub + ": class folder '" + w + "' is not in " + wnidsFile);
            }
        }
        List<Path> folders = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Integer> folderOf = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path images = trainDir.resolve(classes.get(c)).resolve("images");
            if (!Files.isDirectory(images)) {
                throw new DataException(images + ": missing (wnid " + classes.get(c) + " of " + wnidsFile
                        + " needs train/" + classes.get(c) + "/images/)");
            }
            List<String> names = imageNames(images);
            if (names.isEmpty()) {
                throw new DataException(images + ": class folder with no images; add its images or remove "
                        + classes.get(c) + " from " + wnidsFile);
            }
            folders.add(images);
            for (String n : names) {
                files.add(n);
                folderOf.add(c);
            }
        }
        int[] trainFolders = folderOf.stream().mapToInt(Integer::intValue).toArray();
        ImageFiles train = new ImageFiles(
                "tiny-imagenet/train (" + dir + ")",
                folders,
                trainFolders,
                files.toArray(String[]::new),
                trainFolders.clone(),
                classes);

        Path valImages = dir.resolve("val").resolve("images");
        Path annotations = dir.resolve("val").resolve("val_annotations.txt");
        List<String> rows = readLines(annotations, "one line per val image: file, wnid, box");
        Set<String> present = new HashSet<>(imageNames(valImages));
        List<String> valFiles = new ArrayList<>();
        List<Integer> valLabels = new ArrayList<>();
        Set<String> annotated = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            String row = rows.get(i);
            if (row.isBlank()) {
                continue;
            }
            String[] cols = row.split("\t");
            String where = annotations + ":" + (i + 1) + ": ";
            if (cols.length < 2) {
                throw new DataException(where + "expected 'FILE<tab>WNID[<tab>box]', got '" + abbreviate(row) + "'");
            }
            Integer label = labelOf.get(cols[1].trim());
            if (label == null) {
                throw new DataException(where + "wnid '" + abbreviate(cols[1].trim()) + "' is not in " + wnidsFile);
            }
            String file = cols[0].trim();
            if (!present.contains(file)) {
                throw new DataException(where + "names " + file + ", which is not an image in " + valImages);
            }
            if (!annotated.add(file)) {
                throw new DataException(where + file + " is annotated twice");
            }
            valFiles.add(file);
            valLabels.add(label);
        }
        for (String f : new TreeSet<>(present)) {
            if (!annotated.contains(f)) {
                throw new DataException(valImages.resolve(f) + ": has no line in " + annotations);
            }
        }
        // Sorted by file name, as the folder lists it; the labels follow their files.
        Integer[] order = new Integer[valFiles.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> valFiles.get(a).compareTo(valFiles.get(b)));
        String[] vf = new String[order.length];
        int[] vl = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            vf[i] = valFiles.get(order[i]);
            vl[i] = valLabels.get(order[i]);
        }
        ImageFiles val = new ImageFiles(
                "tiny-imagenet/val (" + dir + ")", List.of(valImages), new int[vf.length], vf, vl, classes);
        return new ImageFiles[] {train, val};
    }

    /** Train and val must name the same classes, or one label would mean two classes. */
    static void sameClasses(Path dir, ImageFiles train, ImageFiles val) {
        if (train.classes.equals(val.classes)) {
            return;
        }
        Set<String> onlyTrain = new TreeSet<>(train.classes);
        onlyTrain.removeAll(val.classes);
        Set<String> onlyVal = new TreeSet<>(val.classes);
        onlyVal.removeAll(train.classes);
        String first = !onlyTrain.isEmpty()
                ? "train/" + onlyTrain.iterator().next() + " has no val/ folder"
                : "val/" + onlyVal.iterator().next() + " has no train/ folder";
        throw new DataException(dir + ": train/ and val/ have different class folders (" + onlyTrain.size()
                + " only in train/, " + onlyVal.size() + " only in val/; " + first
                + "), so labels would not match; give both the same classes");
    }

    private static List<Path> subFolders(Path dir, String expected) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such folder (expected " + expected + ")");
        }
        List<Path> subs;
        try (Stream<Path> list = Files.list(dir)) {
            subs = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list (" + e.getMessage() + ")");
        }
        if (subs.isEmpty()) {
            throw new DataException(dir + ": empty folder, no class sub-folders (expected " + expected + ")");
        }
        return subs;
    }

    private static List<String> imageNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such folder");
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString())
                    .filter(ImageFiles::isImageName)
                    .sorted()
                    .filter(n -> Files.isRegularFile(dir.resolve(n)))
                    .toList();
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    private static List<String> readLines(Path file, String expected) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": missing (expected " + expected + ")");
        }
        try {
            if (Files.size(file) > (64L << 20)) {
                throw new DataException(file + ": over 64 MB, not a " + expected);
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read as UTF-8 text (" + e.getMessage() + ")");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
