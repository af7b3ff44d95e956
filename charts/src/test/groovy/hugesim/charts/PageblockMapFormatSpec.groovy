package hugesim.charts

import hugesim.record.BlockMap
import spock.lang.Specification

import java.awt.Color
import java.awt.image.BufferedImage

/** The pageblock map: a cell per row of blocks and moment, coloured by migratetype, darker the fuller. */
class PageblockMapFormatSpec extends Specification {
    static final List<String> TYPES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'ReserveTHP', 'Isolate']

    BlockMap map(int rows, List<List<Integer>> typeFill) {
        BlockMap m = BlockMap.empty(TYPES, 2L << 20, 1, rows, 10)
        typeFill.eachWithIndex { List<Integer> col, int c ->
            byte[] t = new byte[rows], f = new byte[rows]
            for (int r = 0; r < rows; r++) { t[r] = (byte) col[0]; f[r] = (byte) (r < rows / 2 ? col[1] : 0) }
            m.addColumn(c, t, f)
        }
        m
    }

    Color at(BufferedImage img, int x, int y) { new Color(img.getRGB(x, y)) }

    def "a full movable block is dark blue, a free one nearly white; reserved blocks are purple"() {
        given: 'two columns of 8 movable rows, the upper half full; then a column of reserved rows, half full'
        BlockMap m = map(8, [[1, 255], [1, 255], [5, 128]])

        when:
        BufferedImage img = PageblockMapFormat.draw('test', m)
        int cw = 720.intdiv(3), rh = 512.intdiv(8)

        then: 'the top-left cell is the movable colour, the bottom-left nearly white, the last column purple'
        at(img, 84 + 1, 56 + 1) == PageblockMapFormat.cell(1, 255)
        at(img, 84 + 1, 56 + 7 * rh + 1) == PageblockMapFormat.cell(1, 0)
        at(img, 84 + 2 * cw + 1, 56 + 1) == PageblockMapFormat.cell(5, 128)
        PageblockMapFormat.cell(1, 255) == new Color(0x1f, 0x77, 0xb4)
        PageblockMapFormat.cell(1, 0).red > 220
        and: 'a map with more columns than pixels to spare still gets one pixel per column'
        PageblockMapFormat.draw('wide', BlockMap.empty(TYPES, 2L << 20, 1, 4, 2000).tap { b ->
            2000.times { b.addColumn(it, new byte[4], new byte[4]) }
        }).width == 84 + 2000 + 190
    }

    def "columns stop at the map's room: later ones are ignored"() {
        given:
        BlockMap m = BlockMap.empty(TYPES, 2L << 20, 4, 2, 2)

        when:
        3.times { m.addColumn(it, [1, 1] as byte[], [10, 20] as byte[]) }

        then:
        m.columnCount() == 2
        m.fill(1, 1) == 20
        m.time(1) == 1d
    }

    def "the time axis is labelled at round steps: #span s gives ticks #step s apart"() {
        expect:
        PageblockMapFormat.roundStep(span / 6) == step

        where:
        span   | step
        40     | 10d
        900    | 200d
        86400  | 20000d
        0.5d   | 0.1d
    }

    def "cells of one colour that touch are one rectangle: a run along a row, stacked down the rows with the same span"() {
        given: 'rows 0-3 full, 4-7 free; columns 0 and 1 movable, column 2 reserved'
        BlockMap m = map(8, [[1, 255], [1, 255], [5, 128]])

        expect:
        PageblockMapFormat.rects(m) == [
                new PageblockMapFormat.Rect(0, 2, 0, 4, PageblockMapFormat.cell(1, 255).getRGB()),
                new PageblockMapFormat.Rect(2, 3, 0, 4, PageblockMapFormat.cell(5, 128).getRGB()),
                new PageblockMapFormat.Rect(0, 2, 4, 8, PageblockMapFormat.cell(1, 0).getRGB()),
                new PageblockMapFormat.Rect(2, 3, 4, 8, PageblockMapFormat.cell(5, 0).getRGB())]
    }

    def "the SVG draws what the PNG draws, a rectangle per run of cells (small), and the same bytes every time"() {
        given: '512 rows and 240 columns, a movable half and a reserved band that fills up over time'
        BlockMap m = BlockMap.empty(TYPES, 2L << 20, 1, 512, 240)
        240.times { c ->
            byte[] t = new byte[512], f = new byte[512]
            for (int r = 0; r < 512; r++) { t[r] = (byte) (r < 400 ? 1 : 5); f[r] = (byte) (r < 256 ? 255 : r < 400 ? 0 : Math.min(255, c)) }
            m.addColumn(c, t, f)
        }
        def l = new PageblockMapFormat.Layout(m)

        when:
        byte[] svg = ChartFiles.svg(l.width(), l.height(), { g -> ChartFiles.prepare(g, l.width(), l.height()); PageblockMapFormat.paint(g, 'map', m, l, PageblockMapFormat.rects(m)) })
        byte[] again = ChartFiles.svg(l.width(), l.height(), { g -> ChartFiles.prepare(g, l.width(), l.height()); PageblockMapFormat.paint(g, 'map', m, l, PageblockMapFormat.rects(m)) })
        String text = new String(svg, 'UTF-8')

        then: 'two rectangles for the movable rows, one per run of columns of one colour in the reserved band (not 122,880 cells)'
        PageblockMapFormat.rects(m).size() == 2 + 1 + (1..<240).count { PageblockMapFormat.cell(5, it).getRGB() != PageblockMapFormat.cell(5, it - 1).getRGB() }
        svg.length < 200_000
        text.contains('<svg')
        text.contains('pageblocks over time')
        svg == again
    }
}
