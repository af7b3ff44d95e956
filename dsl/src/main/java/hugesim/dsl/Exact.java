package hugesim.dsl;

import org.codehaus.groovy.runtime.InvokerHelper;

import java.math.BigInteger;

/**
 * The {@code +}, {@code -} and {@code *} of scripts ({@link ExactArithmetic} rewrites them to these): on whole
 * numbers they are exact, so a size computed past 64 bits (or an {@code int} past 32) is an error on its line
 * instead of a wrapped, plausible-looking number; on anything else they are Groovy's own operators.
 */
public final class Exact {
    private Exact() {}

    public static Object plus(Object a, Object b) {
        if (whole(a) && whole(b)) {
            long x = ((Number) a).longValue(), y = ((Number) b).longValue();
            if (isInt(a) && isInt(b)) return toInt(x + y, a, "+", b);
            try {
                return Math.addExact(x, y);
            } catch (ArithmeticException e) {
                throw overflow(a, "+", b);
            }
        }
        return InvokerHelper.invokeMethod(a, "plus", b);
    }

    public static Object minus(Object a, Object b) {
        if (whole(a) && whole(b)) {
            long x = ((Number) a).longValue(), y = ((Number) b).longValue();
            if (isInt(a) && isInt(b)) return toInt(x - y, a, "-", b);
            try {
                return Math.subtractExact(x, y);
            } catch (ArithmeticException e) {
                throw overflow(a, "-", b);
            }
        }
        return InvokerHelper.invokeMethod(a, "minus", b);
    }

    public static Object multiply(Object a, Object b) {
        if (whole(a) && whole(b)) {
            long x = ((Number) a).longValue(), y = ((Number) b).longValue();
            if (isInt(a) && isInt(b)) return toInt(x * y, a, "*", b);
            try {
                return Math.multiplyExact(x, y);
            } catch (ArithmeticException e) {
                throw overflow(a, "*", b);
            }
        }
        return InvokerHelper.invokeMethod(a, "multiply", b);
    }

    /** Integer, Long, Short or Byte: what Java arithmetic would wrap. */
    private static boolean whole(Object o) {
        return o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte;
    }

    private static boolean isInt(Object o) {
        return o instanceof Integer || o instanceof Short || o instanceof Byte;
    }

    private static int toInt(long r, Object a, String op, Object b) {
        if (r != (int) r) {
            throw new IllegalArgumentException(a + " " + op + " " + b + " = " + r + " does not fit a 32-bit int (Groovy would wrap it to "
                    + (int) r + "): write " + a + "L " + op + " " + b + ", or use a unit, e.g. 2.GB");
        }
        return (int) r;
    }

    private static IllegalArgumentException overflow(Object a, String op, Object b) {
        BigInteger exact = switch (op) {
            case "+" -> BigInteger.valueOf(((Number) a).longValue()).add(BigInteger.valueOf(((Number) b).longValue()));
            case "-" -> BigInteger.valueOf(((Number) a).longValue()).subtract(BigInteger.valueOf(((Number) b).longValue()));
            default -> BigInteger.valueOf(((Number) a).longValue()).multiply(BigInteger.valueOf(((Number) b).longValue()));
        };
        return new IllegalArgumentException(a + " " + op + " " + b + " = " + exact
                + " overflows 64 bits (sizes are byte counts up to 2^63 - 1, about 8 EiB; Java would wrap it)");
    }
}
