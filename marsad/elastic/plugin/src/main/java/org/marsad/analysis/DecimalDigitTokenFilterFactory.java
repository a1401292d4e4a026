package org.marsad.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code decimal_digit}: Lucene's {@link DecimalDigitFilter}, unchanged (any Unicode decimal digit,
 * such as Arabic-Indic digits, to ASCII 0-9). Elasticsearch ships it in the analysis-common module,
 * which the integ-test-zip distribution lacks.
 */
@NamedComponent("decimal_digit")
public class DecimalDigitTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new DecimalDigitFilter(input);
    }

    /** Per-character, so prefix/wildcard/fuzzy query terms are folded the same way. */
    @Override
    public TokenStream normalize(TokenStream input) {
        return create(input);
    }
}
