package dev.hkd.training.data;

import java.nio.file.Path;

/**
 * What an image file's bytes promise before anything decodes them: its format (from the magic
 * bytes), its width and height (from the header), and whether it ends as its format ends. A file
 * that is empty, of no known format, truncated, or whose header promises more pixels than
 * {@link #MAX_PIXELS} is refused here, so a small file can never make the decoder allocate
 * gigabytes (a decompression bomb) and a truncated JPEG is never trained on half grey.
 *
 * <pre>{@code
 * ImageHeader h = ImageHeader.read(file, Files.readAllBytes(file));   // DataException naming the file
 * int pixels = h.width() * h.height();
 * }</pre>
 */
public record ImageHeader(Format format, int width, int height) {

    /** The formats read; only JPEG decodes at reduced size. */
    public enum Format {
        JPEG,
        PNG,
        GIF,
        BMP
    }

    /**
     * The largest image accepted, in pixels: Pillow's default {@code MAX_IMAGE_PIXELS}, about
     * 9 500 × 9 500 (ImageNet's largest images have under 40 M pixels); 270 MB of decoded RGB.
     */
    public static final long MAX_PIXELS = 89_478_485L;

    /** How far before the end a format's end marker may sit (cameras pad a few bytes after it). */
    private static final int END_SLACK = 4096;

    public static ImageHeader read(Path file, byte[] b) {
        if (b.length == 0) {
            throw new DataException(
                    file + ": empty file (0 bytes), not an image; replace it, or set data.skip_unreadable: true");
        }
        ImageHeader h;
        if (b.length >= 3 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8 && u8(b, 2) == 0xFF) {
            h = jpeg(file, b);
        } else if (b.length >= 8 && u8(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            h = png(file, b);
        } else if (b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            h = new ImageHeader(Format.GIF, le16(b, 6), le16(b, 8));
            if (b[b.length - 1] != 0x3B) {
                throw truncated(file, "GIF", "its trailer byte");
            }
        } else if (b.length >= 26 && b[0] == 'B' && b[1] == 'M') {
            h = new ImageHeader(Format.BMP, le32(b, 18), Math.abs(le32(b, 22)));
        } else {
            throw new DataException(file + ": not an image (no JPEG, PNG, GIF or BMP signature in its first bytes);"
                    + " remove it, or set data.skip_unreadable: true");
        }
        if (h.width <= 0 || h.height <= 0) {
            throw new DataException(file + ": " + h.format + " header gives a size of " + h.width + "×" + h.height
                    + " (corrupt header)");
        }
        if ((long) h.width * h.height > MAX_PIXELS) {
            throw new DataException(file + ": " + h.format + " header promises " + h.width + "×" + h.height
                    + " pixels, over the limit of " + MAX_PIXELS
                    + " (a decompression bomb, or an image to downscale first)");
        }
        return h;
    }

    private static ImageHeader jpeg(Path file, byte[] b) {
        int pos = 2;
        int width = -1;
        int height = -1;
        int sofEnd = -1;
        while (pos + 4 <= b.length) {
            if (u8(b, pos) != 0xFF) {
                throw new DataException(file + ": corrupt JPEG (no marker at byte " + pos + ")");
            }
            int marker = u8(b, pos + 1);
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break; // end of image, or the scan starts: the frame header came before it
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2;
                continue;
            }
            int length = be16(b, pos + 2);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof && pos + 9 <= b.length) {
                height = be16(b, pos + 5);
                width = be16(b, pos + 7);
                sofEnd = pos + 2 + length;
                break;
            }
            pos += 2 + length;
        }
        if (width < 0) {
            throw truncated(file, "JPEG", "a frame header (SOF)");
        }
        // Entropy-coded data never holds FF D9 (a coded FF is followed by 00), so the last EOI is the image's.
        boolean ended = false;
        for (int i = b.length - 2; i >= Math.max(sofEnd, b.length - END_SLACK); i--) {
            if (u8(b, i) == 0xFF && u8(b, i + 1) == 0xD9) {
                ended = true;
                break;
            }
        }
        if (!ended) {
            throw truncated(file, "JPEG", "its end-of-image marker (FF D9)");
        }
        return new ImageHeader(Format.JPEG, width, height);
    }

    private static ImageHeader png(Path file, byte[] b) {
        if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw truncated(file, "PNG", "its IHDR header");
        }
        boolean ended = false;
        for (int i = b.length - 8; i >= Math.max(24, b.length - END_SLACK); i--) {
            if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                ended = true;
                break;
            }
        }
        if (!ended) {
            throw truncated(file, "PNG", "its IEND chunk");
        }
        return new ImageHeader(Format.PNG, be32(b, 16), be32(b, 20));
    }

    private static DataException truncated(Path file, String format, String missing) {
        return new DataException(file + ": truncated or corrupt " + format + " (" + missing
                + " missing); replace the file, or set" + " data.skip_unreadable: true");
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int be16(byte[] b, int i) {
        return i + 1 < b.length ? (u8(b, i) << 8) | u8(b, i + 1) : -1;
    }

    private static int be32(byte[] b, int i) {
        return (u8(b, i) << 24) | (u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3);
    }

    private static int le16(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    private static int le32(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16) | (u8(b, i + 3) << 24);
    }
}
