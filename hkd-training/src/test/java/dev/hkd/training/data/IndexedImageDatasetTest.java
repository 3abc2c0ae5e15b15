package dev.hkd.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import dev.hkd.training.train.Engines;
import org.junit.jupiter.api.Test;

/** As a DJL dataset, each record carries its label and its own sample index. */
class IndexedImageDatasetTest {

    @Test
    void recordsCarryLabelAndIndex() throws Exception {
        ImageSet images = FashionMnist.loadEmbedded(FashionMnist.Split.TEST).head(50);
        IndexedImageDataset dataset =
                IndexedImageDataset.builder(images).setSampling(10, false).build();
        try (NDManager m = Engines.training().newBaseManager()) {
            assertEquals(50, dataset.size());
            Record r = dataset.get(m, 37);
            assertEquals(new Shape(1, 28, 28), r.getData().head().getShape());
            assertEquals(images.label(37), r.getLabels().get(0).getLong());
            assertEquals(37L, r.getLabels().get(1).getLong());
        }
    }
}
