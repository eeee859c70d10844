package io.inventiv.worker.engine.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * The members of an object with declared properties, in their declared order: required ones
 * always, optional ones or not, and commas only between the members present.
 */
final class ObjectBody {
    private ObjectBody() {
    }

    static String of(Gbnf gbnf, JsonPrimitives primitives, List<String> pairs, List<Boolean> required) {
        int n = pairs.size();
        String separator = primitives.ws() + " \",\" " + primitives.ws() + " ";
        String[] tails = new String[n + 1];
        tails[n] = "";
        for (int k = n - 1; k >= 0; k--) {
            String member = separator + pairs.get(k);
            String body = (required.get(k) ? member : "(" + member + ")?") + (tails[k + 1].isEmpty() ? "" : " " + tails[k + 1]);
            tails[k] = gbnf.rule(body);
        }
        int firstRequired = required.indexOf(true);
        int lastFirst = firstRequired < 0 ? n - 1 : firstRequired;
        List<String> starts = new ArrayList<>();
        for (int j = 0; j <= lastFirst; j++) {
            starts.add(pairs.get(j) + (tails[j + 1].isEmpty() ? "" : " " + tails[j + 1]));
        }
        return "(" + String.join(" | ", starts) + ")" + (firstRequired < 0 ? "?" : "");
    }
}
