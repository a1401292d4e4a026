package org.marsad.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code arabic_stem}: Lucene's light {@link ArabicStemFilter}, unchanged (strips common prefixes
 * and suffixes). Elasticsearch ships it in the analysis-common module, which the integ-test-zip
 * distribution lacks.
 */
@NamedComponent("arabic_stem")
public class ArabicStemTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new ArabicStemFilter(input);
    }
}
