package org.marsad.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code arabic_normalization}: Lucene's {@link ArabicNormalizationFilter}, unchanged (alef forms
 * to bare alef, teh marbuta to heh, alef maksura to yeh, tatweel and harakat removed). Elasticsearch
 * ships it in the analysis-common module, which the integ-test-zip distribution lacks.
 */
@NamedComponent("arabic_normalization")
public class ArabicNormalizationTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new ArabicNormalizationFilter(input);
    }

    /** Per-character, so prefix/wildcard/fuzzy query terms are folded the same way. */
    @Override
    public TokenStream normalize(TokenStream input) {
        return create(input);
    }
}
